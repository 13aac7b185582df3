"""The language-model layer: prompts from the guideline corpus -> openai -> validated findings."""
