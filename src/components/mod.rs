//! Reusable pieces shared by the pages.

pub(crate) mod alert;
pub(crate) mod api_credentials;
#[cfg(feature = "split")]
pub(crate) mod chunk_failed;
pub(crate) mod code_editor;
pub(crate) mod copy_button;
pub(crate) mod error_panel;
pub(crate) mod file_text;
pub(crate) mod header;
pub(crate) mod k0rdent;
pub(crate) mod later;
pub(crate) mod modal;
pub(crate) mod new_build_notice;
pub(crate) mod offers;
pub(crate) mod on_demand;
pub(crate) mod procure;
pub(crate) mod profiles;
pub(crate) mod require_token;
pub(crate) mod resources;
pub(crate) mod sort_header;
pub(crate) mod spend_meter;
pub(crate) mod status;
pub(crate) mod text_field;
pub(crate) mod toast;
pub(crate) mod token_expiry;
pub(crate) mod value_options;
