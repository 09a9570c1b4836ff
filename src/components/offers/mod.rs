//! Pieces of the offers page.

pub mod compare;
pub mod filters;
pub mod price_chart;
pub mod saved_searches;
pub mod spec_panel;
pub mod table;
