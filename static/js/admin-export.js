// The admin export page's "Select all" box ticks or clears every field's box. Wired here rather
// than by an inline onchange attribute, which the Content Security Policy blocks.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach((box) => {
          box.checked = toggle.checked;
        });
    });
  });
});
