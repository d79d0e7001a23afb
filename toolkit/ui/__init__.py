"""ipywidgets views and glue for the apps. Widgets never compute a measure."""
