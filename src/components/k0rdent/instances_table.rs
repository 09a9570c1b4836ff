//! A project's instances on the page shown, a row each, with the sort in
//! their headers.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::k0rdent::{Instance, InstancesPage};
use supply_model::k0rdent_list::{
    gpu_total, instance_name, InstanceSort, InstanceSortKey, InstancesQuery, ProjectRef,
};
use supply_model::k0rdent_view::Tone;
use supply_model::time::relative_to;

use crate::components::sort_header::SortHeader;
use crate::state::base::at;
use crate::state::clock::use_now;

const COLUMNS: [(&str, InstanceSortKey, bool); 4] = [
    ("Instance", InstanceSortKey::Name, false),
    ("Lifecycle", InstanceSortKey::Lifecycle, false),
    ("GPUs", InstanceSortKey::Gpus, true),
    ("Created", InstanceSortKey::Created, true),
];

#[component]
pub(crate) fn InstancesTable(
    project: ProjectRef,
    page: RwSignal<Option<InstancesPage>>,
    /// Indices into the page's instances, filtered and sorted.
    shown: Memo<Vec<usize>>,
    query: Memo<InstancesQuery>,
    /// A new query, and whether it replaces the current history entry.
    go: Callback<(InstancesQuery, bool)>,
) -> impl IntoView {
    let header_row = COLUMNS
        .into_iter()
        .map(|(label, key, numeric)| {
            let direction = Signal::derive(move || {
                query.with(|q| q.sort.filter(|s| s.key == key).map(|s| s.descending))
            });
            let on_click = Callback::new(move |()| {
                let mut next = query.get_untracked();
                next.sort = InstanceSort::toggled(next.sort, key);
                go.run((next, false));
            });
            view! { <SortHeader label numeric direction on_click /> }
        })
        .collect_view();
    let rows = move || {
        page.with(|data| {
            let instances = data.as_ref().map(|d| d.instances.as_slice()).unwrap_or_default();
            shown.with(|shown| {
                shown
                    .iter()
                    .filter_map(|&index| instances.get(index))
                    .map(|instance| view! { <InstanceRow instance=instance.clone() project=project.clone() /> })
                    .collect_view()
            })
        })
    };
    view! {
        <table class="data instances-table" aria-label="Instances">
            <thead><tr>{header_row}<th scope="col">"Hostname"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn InstanceRow(instance: Instance, project: ProjectRef) -> impl IntoView {
    let now = use_now();
    let status = instance.lifecycle.as_ref().and_then(|l| l.status.clone());
    let tone = Tone::of(status.as_deref());
    let message = instance
        .lifecycle
        .as_ref()
        .and_then(|l| l.status_message.clone())
        .unwrap_or_default();
    let created = instance.created_at.as_ref().and_then(|t| t.parsed());
    let created_raw = instance
        .created_at
        .as_ref()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let link = at(&project.instance(&instance.id).console_path());
    let name = instance_name(&instance).to_owned();
    let gpus = gpu_total(&instance);
    let hostname = instance.hostname.clone().unwrap_or_default();
    let id = instance.id.clone();
    view! {
        <tr>
            <td>
                <A href=link>{name}</A>
                <br />
                <code class="muted">{id}</code>
            </td>
            <td>
                <strong class=tone.class() title=tone.meaning()>
                    {status.unwrap_or_else(|| "unknown".to_owned())}
                </strong>
                <span class="muted">{format!(" {message}")}</span>
            </td>
            <td class="num">{gpus}</td>
            <td class="num">
                {move || created.map_or_else(|| created_raw.clone(), |t| relative_to(t, now.get()))}
            </td>
            <td><code>{hostname}</code></td>
        </tr>
    }
}
