"""Norwegian reference data: health regions and trusts, counties, municipalities and catchment areas."""
