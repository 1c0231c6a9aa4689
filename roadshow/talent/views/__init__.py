"""The talent pool's pages, one module per concern; roadshow.talent.routes loads them all."""
