"use strict";
// The meeting page's picture (see meeting.js for the sessions): a tile per camera and per shared screen with a name,
// a muted badge and the connection's quality, the active speaker outlined, the participant list, and view(), which
// reports all of it from the DOM. Reads meeting.js's state (self, peers, people) and writes only the DOM.
const QUIET_MS = 1500;
// Development identities are the typed name plus ".xxxx" (see /dev/token); the name is what people see.
const displayName = identity => identity.replace(/\.[0-9a-f]{4}$/, "");

// A participant's camera (with its audio) or one of its screens. Video plays muted, so that autoplay is
// allowed even without a click (a #token= join); sound plays through the tile's audio element.
function tile(key, identity, kind, stream) {
  let figure = document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.className = "tile";
    Object.assign(figure.dataset, { key, identity, kind });
    figure.innerHTML = `<video autoplay playsinline muted></video><audio autoplay></audio><div class="off"></div>
      <figcaption><span class="name"></span><span class="badge"></span><span class="quality"></span></figcaption>`;
    figure.querySelector(".name").textContent = displayName(identity) + (identity === self ? " (you)" : "") + (kind === "screen" ? " — screen" : "");
    $("grid").append(figure);
  }
  const video = figure.querySelector("video");
  video.muted = true;
  if (video.srcObject !== stream) video.srcObject = stream;
  return figure;
}

function setTileState(figure, { muted, cameraOff, quality }) {
  if (!figure) return;
  figure.dataset.muted = !!muted;
  figure.dataset.cameraOff = !!cameraOff;
  figure.querySelector(".badge").textContent = muted ? "🔇 muted" : "";
  figure.querySelector(".off").textContent = cameraOff ? "camera off" : "";
  if (quality !== undefined) figure.querySelector(".quality").textContent = quality;
}

function highlight(identities) {
  for (const figure of document.querySelectorAll(".tile"))
    figure.classList.toggle("speaking", identities.has(figure.dataset.identity) && figure.dataset.kind === "camera");
  renderPeople();
}

function renderPeople() {
  const list = $("people");
  list.replaceChildren();
  const publishing = [...peers.values()].filter(p => p.wanted && p.wanted.length > 0).map(p => p.identity);
  for (const identity of [...new Set([self, ...people, ...publishing])].filter(Boolean).sort()) {
    const figure = document.querySelector(`.tile[data-key="${CSS.escape(identity + "/camera")}"]`);
    const li = document.createElement("li");
    li.dataset.identity = identity;
    li.textContent = displayName(identity) + (identity === self ? " (you)" : "") + (figure && figure.dataset.muted === "true" ? " 🔇" : "")
      + (document.querySelector(`.tile[data-identity="${CSS.escape(identity)}"][data-kind=screen]`) ? " (presenting)" : "")
      + (figure && figure.classList.contains("speaking") ? " 🔊" : "");
    list.append(li);
  }
}

// Every half second, per received track: packets and bytes since the last sample. Bitrate, loss and layer
// (resolution and frame rate) go on the tile; a track silent for 1.5 s shows as muted or camera off.
async function sampleStats() {
  const now = Date.now(), levels = [];
  for (const peer of peers.values()) {
    if (!peer.pc || peer.pc.connectionState !== "connected") continue;
    const report = await peer.pc.getStats();
    const byMid = new Map(peer.pc.getTransceivers().map((t, i) => [t.mid, i]));
    const camera = { bits: 0, lost: 0, packets: 0, layer: "" };
    let muted = false, cameraOff = false;
    for (const s of report.values()) {
      if (s.type !== "inbound-rtp" || !byMid.has(s.mid)) continue;
      const index = byMid.get(s.mid), before = peer.stats.get(index);
      const packets = s.packetsReceived || 0;
      const quietSince = !before ? now : packets > before.packets ? now : before.quietSince;
      peer.stats.set(index, { packets, bytes: s.bytesReceived || 0, lost: s.packetsLost || 0, at: now, quietSince });
      const quiet = now - quietSince >= QUIET_MS && now - (peer.connectedAt ||= now) >= QUIET_MS;
      if (s.kind === "audio") { muted = quiet; levels.push([peer.identity, s.audioLevel || 0]); }
      const bits = before ? (s.bytesReceived - before.bytes) * 8000 / (now - before.at) : 0;
      const lost = before ? s.packetsLost - before.lost : 0, got = before ? packets - before.packets : 0;
      const layer = s.frameHeight ? `${s.frameHeight}p ${Math.round(s.framesPerSecond || 0)} fps` : "";
      const figure = peer.tileOf[index];
      if (figure && figure.dataset.kind === "screen") {
        setTileState(figure, { cameraOff: quiet, quality: `${Math.round(bits / 1000)} kbit/s ${layer}` });
        continue;
      }
      if (s.kind === "video") { cameraOff = quiet; camera.layer = layer; }
      camera.bits += bits; camera.lost += lost; camera.packets += got;
    }
    const loss = camera.lost + camera.packets > 0 ? Math.max(0, camera.lost) * 100 / (camera.lost + camera.packets) : 0;
    setTileState(peer.tileOf && peer.tileOf.find(f => f.dataset.kind === "camera"),
      { muted, cameraOff, quality: `${Math.round(camera.bits / 1000)} kbit/s, ${loss.toFixed(1)}% loss ${camera.layer}` });
  }
  // Without the server's activeSpeakers (older servers), the loudest participant heard here is highlighted.
  if (now - serverSpeakersAt > 5000) {
    const loudest = levels.filter(([, level]) => level > 0.02).sort((a, b) => b[1] - a[1])[0];
    highlight(new Set(loudest ? [loudest[0]] : []));
  } else renderPeople();
}

// What the page shows, from the DOM, for tests and curious users.
function view() {
  return JSON.stringify({
    state: demo.state, self,
    tiles: [...document.querySelectorAll(".tile")].map(f => ({
      identity: f.dataset.identity, name: f.querySelector(".name").textContent, kind: f.dataset.kind,
      muted: f.dataset.muted === "true", cameraOff: f.dataset.cameraOff === "true", speaking: f.classList.contains("speaking"),
      quality: f.querySelector(".quality").textContent, frames: f.querySelector("video").getVideoPlaybackQuality?.().totalVideoFrames || 0,
    })),
    people: [...document.querySelectorAll("#people li")].map(li => li.textContent),
  });
}

