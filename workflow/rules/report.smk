# Stage: report. Placeholder until the stage's rules land.

REPORT_TARGETS = []
