//! Reusable pieces shared by the pages.

pub mod alert;
pub mod api_credentials;
pub mod chunk_failed;
pub mod code_editor;
pub mod copy_button;
pub mod error_panel;
pub mod file_text;
pub mod header;
pub mod k0rdent;
pub mod modal;
pub mod offers;
pub mod procure;
pub mod profiles;
pub mod require_token;
pub mod resources;
pub mod sort_header;
pub mod spend_meter;
pub mod status;
pub mod text_field;
pub mod toast;
pub mod token_expiry;
pub mod value_options;
