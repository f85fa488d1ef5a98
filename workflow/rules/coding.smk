# Stage: coding. Placeholder until the stage's rules land.

CODING_TARGETS = []
