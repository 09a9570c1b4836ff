//! Pieces of the procure page.

pub mod cloud_init_editor;
pub mod cost_estimate;
pub mod equivalents;
pub mod offer_lookup;
pub mod offer_summary;
pub mod procure_form;
pub mod review_step;
pub mod ssh_key_field;
