# Stage: survey. Placeholder until the stage's rules land.

SURVEY_TARGETS = []
