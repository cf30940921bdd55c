"""Read queries behind the pages and their JSON twins, one module per area."""
