//! Pieces of the offers page.

pub(crate) mod answer_notes;
pub(crate) mod answers;
pub(crate) mod compare;
pub(crate) mod filters;
pub(crate) mod price_chart;
pub(crate) mod saved_searches;
pub(crate) mod spec_panel;
pub(crate) mod table;
