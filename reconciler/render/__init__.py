"""Pure renderers: values in, strings out."""
