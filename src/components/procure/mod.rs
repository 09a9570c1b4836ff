//! Pieces of the procure page.

pub(crate) mod cloud_init_editor;
pub(crate) mod cost_estimate;
pub(crate) mod equivalents;
pub(crate) mod offer_lookup;
pub(crate) mod offer_summary;
pub(crate) mod procure_form;
pub(crate) mod review_step;
pub(crate) mod ssh_key_field;
