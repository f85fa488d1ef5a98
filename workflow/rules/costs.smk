# Stage: costs. Placeholder until the stage's rules land.

COSTS_TARGETS = []
