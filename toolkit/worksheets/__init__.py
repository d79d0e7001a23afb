"""Worksheets a commissioner fills in: the commissioning questions and turning the curve."""
