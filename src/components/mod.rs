//! Reusable pieces shared by the pages.

pub mod copy_button;
pub mod error_panel;
pub mod header;
pub mod offers;
pub mod planned;
pub mod require_token;
pub mod resources;
pub mod text_field;
pub mod toast;
