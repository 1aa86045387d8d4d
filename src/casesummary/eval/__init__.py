"""The eval harness: golden cases, metrics, runs and reports for comparing prompts and models."""
