"""samestory: find the same news story across outlets and show, claim by claim, how each told it."""

__version__ = "0.1.0"
