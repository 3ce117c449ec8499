// Suggestions for the lookup boxes (dialogue/lookups.py): as the user types, ask the server
// for the first matching records and offer them in the box's <datalist>. A box for several
// records (data-multiple) completes the part after the last ";" and keeps what came before.
const SEPARATOR = ";";
const WAIT_MS = 150;

function attach(input) {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const value = input.value;
      const cut = input.hasAttribute("data-multiple") ? value.lastIndexOf(SEPARATOR) + 1 : 0;
      const before = value.slice(0, cut);
      const text = value.slice(cut).trim();
      // Two characters at least, or one digit (a round's number).
      const tooShort = text.length < 2 && !/^\d$/.test(text);
      if (tooShort || text === asked || /\(#\d+\)$/.test(text)) return;
      asked = text;
      const url = `${input.dataset.lookup}?q=${encodeURIComponent(text)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { results } = await response.json();
      const prefix = before ? `${before.trimEnd()} ` : "";
      list.replaceChildren(
        ...results.map((label) => {
          const option = document.createElement("option");
          option.value = prefix + label;
          return option;
        }),
      );
    }, WAIT_MS);
  });
}

document.querySelectorAll("input[data-lookup]").forEach(attach);
