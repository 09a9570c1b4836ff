//! Pieces of the offers page.

pub mod answer_notes;
pub mod answers;
pub mod compare;
pub mod filters;
pub mod price_chart;
pub mod saved_searches;
pub mod spec_panel;
pub mod table;
