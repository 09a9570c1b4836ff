//! Pieces of the provisioning status page.

pub(crate) mod instances_table;
pub(crate) mod notify;
pub(crate) mod order_links;
pub(crate) mod timeline;
