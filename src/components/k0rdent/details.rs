use leptos::either::Either;
use leptos::prelude::*;
use supply_model::k0rdent::{name_from_uri, Disk, Instance, Nic};
use supply_model::k0rdent_view::gpu_line;
use supply_model::text::{or_dash, DASH};
use supply_model::time::relative_to;
use supply_model::ApiTime;

use super::metadata::InstanceMetadata;
use super::parts_table::PartsTable;
use crate::components::copy_button::CopyButton;
use crate::state::clock::use_now;

/// The name a resource URI ends with, for a table cell.
fn uri_name_or_dash(uri: Option<String>) -> String {
    or_dash(uri.as_deref().map(name_from_uri))
}

/// A name taken from a resource URI, with the URI itself beside it.
#[component]
fn UriName(uri: Option<String>) -> impl IntoView {
    match uri.filter(|u| !u.is_empty()) {
        Some(uri) => Either::Left(view! {
            <span class="uri-name">{name_from_uri(&uri).to_owned()}</span>
            " "
            <code class="uri muted">{uri}</code>
        }),
        None => Either::Right(DASH),
    }
}

/// "3 min ago", and the timestamp as sent.
#[component]
fn When(at: Option<ApiTime>) -> impl IntoView {
    let now = use_now();
    match at {
        Some(at) => {
            let raw = at.0.clone();
            let parsed = at.parsed();
            let relative =
                move || parsed.map_or_else(|| raw.clone(), |t| relative_to(t, now.get()));
            Either::Left(view! {
                <time datetime=at.0.clone()>{relative}</time>
                " " <span class="muted">{format!("({})", at.0)}</span>
            })
        }
        None => Either::Right(DASH),
    }
}

/// Every field of a k0rdent instance but its lifecycle, which the page
/// shows at the top. API text is rendered as text only.
#[component]
pub(crate) fn InstanceDetails(instance: Instance) -> impl IntoView {
    let id = instance.id.clone();
    let hostname = instance.hostname.clone().filter(|h| !h.is_empty());
    let self_link = instance.self_link.clone().filter(|l| !l.is_empty());
    let labels = instance
        .labels
        .iter()
        .map(|(key, value)| view! { <li class="chip">{format!("{key}: {value}")}</li> })
        .collect_view();
    let gpus = instance
        .gpus
        .iter()
        .map(|gpu| view! { <li>{gpu_line(gpu.kind.as_deref(), gpu.count)}</li> })
        .collect_view();
    view! {
        <dl class="facts">
            <dt>"Display name"</dt><dd>{or_dash(instance.display_name)}</dd>
            <dt>"ID"</dt>
            <dd>
                <code>{id.clone()}</code> " "
                <CopyButton text=Signal::derive(move || Some(id.clone())) what="instance id" />
            </dd>
            <dt>"UID"</dt><dd><code>{or_dash(instance.uid)}</code></dd>
            <dt>"Description"</dt><dd>{or_dash(instance.description)}</dd>
            <dt>"Labels"</dt>
            <dd>
                {if instance.labels.is_empty() {
                    Either::Left(DASH)
                } else {
                    Either::Right(view! { <ul class="chips" aria-label="Labels">{labels}</ul> })
                }}
            </dd>
            <dt>"Instance type"</dt><dd><UriName uri=instance.instance_type /></dd>
            <dt>"Hostname"</dt>
            <dd>
                <code>{or_dash(hostname.clone())}</code> " "
                <CopyButton text=Signal::derive(move || hostname.clone()) what="hostname" />
            </dd>
            <dt>"GPUs"</dt>
            <dd>
                {if instance.gpus.is_empty() {
                    Either::Left(DASH)
                } else {
                    Either::Right(view! { <ul class="plain" aria-label="GPUs">{gpus}</ul> })
                }}
            </dd>
            <dt>"Created"</dt><dd><When at=instance.created_at /></dd>
            <dt>"Updated"</dt><dd><When at=instance.updated_at /></dd>
            <dt>"Self link"</dt>
            <dd>
                <code>{or_dash(self_link.clone())}</code> " "
                <CopyButton text=Signal::derive(move || self_link.clone()) what="self link" />
            </dd>
        </dl>
        <h2>"Disks"</h2>
        <Disks disks=instance.disks />
        <h2>"Network interfaces"</h2>
        <Nics nics=instance.nics />
        <h2>"Metadata"</h2>
        <InstanceMetadata entries=instance.instance_metadata />
    }
}

const DISK_COLUMNS: &[(&str, bool)] = &[
    ("Size", true),
    ("Interface", false),
    ("Boot", false),
    ("Type", false),
    ("Mode", false),
    ("Source image", false),
];

#[component]
fn Disks(disks: Vec<Disk>) -> impl IntoView {
    if disks.is_empty() {
        return Either::Left(view! { <p class="muted">"No disks."</p> });
    }
    let rows = disks
        .into_iter()
        .map(|disk| {
            let boot = match disk.boot {
                Some(true) => "yes",
                Some(false) => "no",
                None => DASH,
            };
            view! {
                <tr>
                    <td class="num">{or_dash(disk.size_gb.map(|gb| format!("{gb} GB")))}</td>
                    <td>{or_dash(disk.interface)}</td>
                    <td>{boot}</td>
                    <td>{or_dash(disk.kind)}</td>
                    <td>{or_dash(disk.mode)}</td>
                    <td>{uri_name_or_dash(disk.source)}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! { <PartsTable label="Disks" columns=DISK_COLUMNS>{rows}</PartsTable> })
}

const NIC_COLUMNS: &[(&str, bool)] = &[
    ("Network", false),
    ("Subnet", false),
    ("IPv4", false),
    ("IPv6", false),
    ("VLAN", true),
];

#[component]
fn Nics(nics: Vec<Nic>) -> impl IntoView {
    if nics.is_empty() {
        return Either::Left(view! { <p class="muted">"No network interfaces."</p> });
    }
    let rows = nics
        .into_iter()
        .map(|nic| {
            view! {
                <tr>
                    <td>{uri_name_or_dash(nic.network)}</td>
                    <td>{uri_name_or_dash(nic.subnet)}</td>
                    <td><code>{or_dash(nic.ipv4_address)}</code></td>
                    <td><code>{or_dash(nic.ipv6_address)}</code></td>
                    <td class="num">{or_dash(nic.vlan)}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <PartsTable label="Network interfaces" columns=NIC_COLUMNS>{rows}</PartsTable>
    })
}
