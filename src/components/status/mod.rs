//! Pieces of the provisioning status page.

pub mod instances_table;
pub mod notify;
pub mod order_links;
pub mod timeline;
