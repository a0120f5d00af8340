"""File suffixes each kind of boundary input may have, defined once for the loader and the importer."""

BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")  # what an import accepts
# a dataset folder may also hold an unzipped Shapefile (districts.shp beside its .shx/.dbf/.prj);
# an upload cannot, as one file cannot bring its parts along
DATASET_BOUNDARY_SUFFIXES = BOUNDARY_SUFFIXES + (".shp",)
