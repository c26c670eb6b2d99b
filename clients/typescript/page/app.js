// The browser side of a Nudge integration: a party token from our own server, the party's trades
// over CORS with that token, a button per allowed action, and live updates through EventSource
// (which cannot send headers, hence ?token=).
const api = new URL(location.href).searchParams.get("api");
const status = document.getElementById("status");
const list = document.getElementById("trades");
const log = document.getElementById("events");

async function nudge(path, init = {}) {
  const response = await fetch(api + path, {
    ...init,
    headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
  });
  const body = await response.json();
  if (!response.ok) {
    // A problem+json answer: show it as an error, never as if it were a trade.
    throw new Error(`${response.status} ${body.title}: ${body.detail}`);
  }
  return body;
}

function render(trade) {
  let item = list.querySelector(`[data-trade="${trade.id}"]`);
  if (!item) {
    item = document.createElement("li");
    item.dataset.trade = trade.id;
    list.append(item);
  }
  item.dataset.state = trade.state;
  item.replaceChildren(`${trade.title}: `);
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = trade.state;
  item.append(state);
  for (const action of trade.allowedActions[session.partyId] ?? []) {
    if (action !== "request_reply") continue;
    const button = document.createElement("button");
    button.textContent = "Ask for a reply";
    button.dataset.action = action;
    button.onclick = async () => {
      button.disabled = true;
      try {
        await nudge(`/v1/trades/${trade.id}/actions`, {
          method: "POST",
          body: JSON.stringify({ type: action, partyId: session.partyId }),
        });
      } catch (e) {
        status.textContent = e.message;
        button.disabled = false;
      }
    };
    item.append(" ", button);
  }
}

const session = await (await fetch("/nudge-token")).json();
try {
  const page = await nudge("/v1/trades?limit=50");
  page.data.forEach(render);
  const stream = new EventSource(`${api}/v1/events/stream?token=${encodeURIComponent(session.token)}`);
  for (const type of ["trade.created", "trade.state_changed", "trade.updated"]) {
    stream.addEventListener(type, (e) => {
      const event = JSON.parse(e.data);
      const entry = document.createElement("li");
      entry.dataset.subject = event.subject.id;
      entry.dataset.type = event.type;
      entry.dataset.state = event.data.state;
      entry.textContent = `${event.type} #${event.sequence} ${event.data.title}: ${event.data.state}`;
      log.append(entry);
      render(event.data);
    });
  }
  stream.onopen = () => {
    status.textContent = `${page.data.length} trades, live`;
    document.body.dataset.live = "true";
  };
  stream.onerror = () => {
    status.textContent = "reconnecting…";
  };
} catch (e) {
  status.textContent = e.message;
}
