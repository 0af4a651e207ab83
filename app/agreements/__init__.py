"""The cooperation agreement: read it, download it as PDF, sign it, give notice."""
