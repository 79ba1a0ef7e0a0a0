"""Public datasets in their own formats: adapters to our corpus format, the NewsMTSC reader."""
