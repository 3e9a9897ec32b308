"""Tests of the coherence rules, the program-type classifier and the glossary."""
