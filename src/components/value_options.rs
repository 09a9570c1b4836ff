use leptos::prelude::*;

/// One `<option>` per value, showing the value itself, with the one equal
/// to `selected` marked: the choices of a `<select>` built from data.
pub(crate) fn value_options(values: Vec<String>, selected: Option<&str>) -> impl IntoView + use<> {
    values
        .into_iter()
        .map(|value| {
            let is_selected = selected == Some(value.as_str());
            let label = value.clone();
            view! { <option value=value selected=is_selected>{label}</option> }
        })
        .collect_view()
}
