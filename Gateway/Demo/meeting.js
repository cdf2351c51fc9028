"use strict";
// The meeting page. Publish: camera and microphone over WHIP (one session), the screen over a second WHIP session.
// Watch: one WHEP session per other participant, with as many receive-only sections as it publishes tracks of each
// kind, opened again whenever its tracks change. The room's WebSocket says when (joins, leaves, tracks, active
// speakers, reconnect requests); the stream list is also read every 3 s. A failed connection, or a reconnect
// request, gets a new offer. The server is ICE-lite: offers go out right after setLocalDescription.
// Mute is sending nothing (replaceTrack(null)): a remote track that brings no packet for 1.5 s shows as muted.
// Tests read window.rtcDemo: publishPc, subscribePcs (one per watched participant), errors, view(), stop().
const demo = window.rtcDemo = { publishPc: null, screenPc: null, subscribePcs: [], errors: [], sessions: [], state: "idle",
  simulcast: false, join, stop, view, toggleMicrophone, toggleCamera, toggleScreen, requestLayer };
const $ = id => document.getElementById(id);
const SAMPLE_MS = 500;
let room = "", token = "", self = "", watching = true, generation = 0, timers = [], socket = null;
let local = null;         // { stream, audio, video, audioSender, videoSender, micOn, cameraOn, resource }
let screen = null;        // { stream, resource }
let people = new Set();   // identities in the room (participant list)
let peers = new Map();    // identity -> { identity, streams, key, pc, resource, tiles, queue, stats }
let serverSpeakersAt = 0;

function setState(s) { demo.state = s; $("status").textContent = s; }
const sleep = ms => new Promise(r => setTimeout(r, ms));

function fail(where, err) {
  const text = `${where}: ${err && err.message ? err.message : err}`;
  demo.errors.push(text);
  const li = document.createElement("li");
  li.textContent = text;
  $("errors").append(li);
}

function identityOf(jwt) {
  try { return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub || ""; }
  catch { return ""; }
}

async function problem(response) {
  const body = await response.text();
  try { const p = JSON.parse(body); return `${response.status} ${p.title || ""}: ${p.detail || ""}`; }
  catch { return `${response.status} ${body}`; }
}

const api = (path, init = {}) => fetch(path, { ...init, headers: { "Authorization": `Bearer ${token}`, ...(init.headers || {}) } });

// WHIP/WHEP (RFC 9725): POST the offer, apply the answer; the Location is the session, DELETE ends it.
async function negotiate(pc, url) {
  const gen = generation;
  await pc.setLocalDescription(await pc.createOffer());
  const response = await api(url, { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp });
  if (response.status !== 201) throw Object.assign(new Error(await problem(response)), { status: response.status });
  const resource = new URL(response.headers.get("Location"), location.href).href;
  if (gen !== generation) { api(resource, { method: "DELETE" }).catch(() => {}); throw new Error("left meanwhile"); }
  demo.sessions.push(resource);
  await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
  return resource;
}

function release(resource) {
  if (!resource) return;
  demo.sessions = demo.sessions.filter(r => r !== resource);
  api(resource, { method: "DELETE" }).catch(() => {});
}

// Calls reconnect when the connection fails, or stays disconnected for 4 s (the media node may be gone). Not
// sooner: on a loaded host a connection flaps to disconnected and back, and a new session costs everyone a rewatch.
const DISCONNECTED_MS = 4000;
function onBroken(pc, reconnect) {
  let timer = 0;
  pc.oniceconnectionstatechange = () => {
    clearTimeout(timer);
    if (pc.iceConnectionState === "failed") reconnect("connection failed");
    else if (pc.iceConnectionState === "disconnected")
      timer = setTimeout(() => pc.iceConnectionState === "disconnected" && reconnect("disconnected for 4 s"), DISCONNECTED_MS);
  };
}

// Tries again with backoff while this join lasts; refusals (bad request, no right, kicked) end it.
async function retry(what, action) {
  const gen = generation;
  for (let attempt = 0; gen === generation; attempt++) {
    try { return await action(); }
    catch (e) {
      if ([400, 401, 403].includes(e.status)) { fail(what, e); return; }
      console.warn(`${what}: ${e.message}; again`);
      await sleep(Math.min(250 * 2 ** attempt, 3000));
    }
  }
}


// With simulcast (#simulcast=1), video goes out as three layers q/h/f at 1/4, 1/2 and full resolution (RFC 8853);
// 1280x720 capture, since Chromium sends fewer layers for smaller pictures.
const simulcastEncodings = [
  { rid: "q", scaleResolutionDownBy: 4 }, { rid: "h", scaleResolutionDownBy: 2 }, { rid: "f", scaleResolutionDownBy: 1 },
];

// Asks the node to forward simulcast layer `rid` (null: the highest) on every session this page watches.
async function requestLayer(rid) {
  for (const url of demo.sessions.filter(u => u.includes("/whep/"))) {
    const response = await fetch(`${url}/layer${rid ? `?rid=${encodeURIComponent(rid)}` : ""}`,
      { method: "POST", headers: { "Authorization": `Bearer ${token}` } });
    if (response.status !== 204) throw new Error(await problem(response));
  }
}

async function publish() {
  if (!local) {
    const video = demo.simulcast ? { width: 1280, height: 720 } : true;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    local = { stream, audio: stream.getAudioTracks()[0], video: stream.getVideoTracks()[0], micOn: true, cameraOn: true };
    tile(`${self}/camera`, self, "camera", new MediaStream([local.video]));
  }
  const pc = demo.publishPc = new RTCPeerConnection();
  local.audioSender = pc.addTransceiver(local.audio, { direction: "sendonly", streams: [local.stream] }).sender;
  local.videoSender = pc.addTransceiver(local.video, { direction: "sendonly", streams: [local.stream],
    ...(demo.simulcast ? { sendEncodings: simulcastEncodings } : {}) }).sender;
  onBroken(pc, reason => pc === demo.publishPc && republish(reason));
  try { local.resource = await negotiate(pc, `/whip/${encodeURIComponent(room)}`); }
  catch (e) { pc.close(); throw e; }
  if (!local.micOn) await local.audioSender.replaceTrack(null);
  if (!local.cameraOn) await local.videoSender.replaceTrack(null);
}

// One at a time: a reconnect request and a failed connection often come together.
let republishing = false;
async function republish(reason) {
  if (republishing || !local) return;
  republishing = true;
  console.info(`publish again: ${reason}`);
  const old = demo.publishPc;
  demo.publishPc = null;
  if (old) old.close();
  release(local.resource);
  try { await retry("publish", publish); } finally { republishing = false; }
}

function showOwnState() {
  $("mic").setAttribute("aria-pressed", local.micOn);
  $("camera").setAttribute("aria-pressed", local.cameraOn);
  setTileState(document.querySelector(`.tile[data-key="${CSS.escape(self + "/camera")}"]`), { muted: !local.micOn, cameraOff: !local.cameraOn });
  renderPeople();
}

async function toggleMicrophone() {
  if (!local) return;
  local.micOn = !local.micOn;
  showOwnState();
  if (local.audioSender) await local.audioSender.replaceTrack(local.micOn ? local.audio : null);
}

async function toggleCamera() {
  if (!local) return;
  local.cameraOn = !local.cameraOn;
  showOwnState();
  if (local.videoSender) await local.videoSender.replaceTrack(local.cameraOn ? local.video : null);
}

async function shareScreen() {
  const pc = demo.screenPc = new RTCPeerConnection();
  pc.addTransceiver(screen.stream.getVideoTracks()[0], { direction: "sendonly", streams: [screen.stream] });
  onBroken(pc, () => reshare(pc));
  screen.resource = await negotiate(pc, `/whip/${encodeURIComponent(room)}`);
}

function reshare(old) {
  if (!screen || demo.screenPc !== old) return;
  old.close();
  release(screen.resource);
  retry("share screen", shareScreen);
}

async function toggleScreen() {
  if (screen) {
    const { stream, resource } = screen;
    screen = null;
    if (demo.screenPc) demo.screenPc.close();
    demo.screenPc = null;
    release(resource);
    stream.getTracks().forEach(t => t.stop());
    document.querySelector(`.tile[data-key="${CSS.escape(self + "/screen")}"]`)?.remove();
  } else {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    screen = { stream };
    stream.getVideoTracks()[0].onended = () => screen && screen.stream === stream && toggleScreen();
    tile(`${self}/screen`, self, "screen", stream);
    try { await shareScreen(); } catch (e) { fail("share screen", e); }
  }
  $("screen").setAttribute("aria-pressed", !!screen);
  $("screen").textContent = screen ? "Stop sharing" : "Share screen";
}

// One WHEP session for everything a participant publishes: the first video is its camera, later ones its screens.
async function watch(peer) {
  const streams = peer.wanted, key = streams.map(s => s.streamId).join(",");
  if (key === peer.key && peer.pc) return;
  const old = peer.pc;
  if (old) { old.close(); demo.subscribePcs = demo.subscribePcs.filter(p => p !== old); }
  release(peer.resource);
  Object.assign(peer, { pc: null, resource: null, key, streams, stats: new Map(), connectedAt: 0 });
  const keep = new Set();
  if (streams.length > 0) {
    const pc = peer.pc = new RTCPeerConnection();
    demo.subscribePcs.push(pc);
    const camera = new MediaStream();
    let videos = 0;
    peer.tileOf = streams.map(s => {
      const kind = s.kind === "video" && videos++ > 0 ? "screen" : "camera";
      const tileKey = `${peer.identity}/${kind === "camera" ? "camera" : s.streamId}`;
      keep.add(tileKey);
      return tile(tileKey, peer.identity, kind, kind === "camera" ? camera : new MediaStream());
    });
    for (const s of streams) pc.addTransceiver(s.kind, { direction: "recvonly" });
    pc.ontrack = e => {
      const figure = peer.tileOf[pc.getTransceivers().indexOf(e.transceiver)];
      if (!figure) return;
      if (e.track.kind === "audio") figure.querySelector("audio").srcObject = new MediaStream([e.track]);
      else figure.querySelector("video").srcObject.addTrack(e.track);
    };
    onBroken(pc, reason => pc === peer.pc && (console.info(`watch ${peer.identity} again: ${reason}`), (peer.key = null), resync(peer)));
    try { peer.resource = await negotiate(pc, `/whep/${encodeURIComponent(room)}/${encodeURIComponent(peer.identity)}`); }
    catch (e) { peer.key = null; throw e; }
  }
  for (const figure of document.querySelectorAll(`.tile[data-identity="${CSS.escape(peer.identity)}"]`))
    if (!keep.has(figure.dataset.key)) figure.remove();
}

// Watches run one at a time per participant, always towards its latest stream list.
function resync(peer) {
  peer.queue = peer.queue.then(() => retry(`watch ${peer.identity}`, () => watch(peer)));
}

// Reads the room (participants, streams) and brings the watches up to date; also opens the room socket.
async function refresh() {
  const gen = generation;
  const response = await api(`/v1/rooms/${encodeURIComponent(room)}/streams`);
  if (response.status === 404) return;
  if (!response.ok) throw new Error(await problem(response));
  const streams = (await response.json()).streams;
  if (gen !== generation) return;
  const byPublisher = new Map();
  for (const s of streams) {
    if (s.publisherIdentity === self) continue;
    if (!byPublisher.has(s.publisherIdentity)) byPublisher.set(s.publisherIdentity, []);
    byPublisher.get(s.publisherIdentity).push(s);
  }
  for (const identity of watching ? new Set([...peers.keys(), ...byPublisher.keys()]) : []) {
    let peer = peers.get(identity);
    if (!peer) peers.set(identity, peer = { identity, key: null, pc: null, queue: Promise.resolve(), stats: new Map() });
    peer.wanted = byPublisher.get(identity) || [];
    if (peer.wanted.map(s => s.streamId).join(",") !== peer.key) resync(peer);
  }
  const members = await api(`/v1/rooms/${encodeURIComponent(room)}/participants`);
  if (members.ok && gen === generation) people = new Set((await members.json()).participants.map(p => p.identity));
  renderPeople();
  if (!socket) openSocket();
}

async function openSocket() {
  const gen = generation;
  socket = "opening";
  try {
    const response = await api(`/v1/rooms/${encodeURIComponent(room)}/events/ws-ticket`, { method: "POST" });
    if (!response.ok || gen !== generation) throw new Error(await problem(response));
    const { ticket } = await response.json();
    const ws = socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/rooms/${encodeURIComponent(room)}/events/ws?ticket=${encodeURIComponent(ticket)}`);
    ws.onmessage = e => onRoomMessage(JSON.parse(e.data));
    ws.onclose = e => {
      if (socket === ws) socket = null;
      if (e.code === 1008 && /kicked/.test(e.reason) && gen === generation) { stop().then(() => setState("removed from the room")); }
    };
  } catch (e) {
    socket = null;
    console.info(`room socket: ${e.message}`);  // not a member yet, or the room is not there yet: the next refresh tries again
  }
}

let refreshSoon = 0;
function onRoomMessage(m) {
  switch (m.type) {
    case "participantJoined": case "participantLeft": case "trackPublished": case "trackUnpublished":
      clearTimeout(refreshSoon);
      refreshSoon = setTimeout(() => refresh().catch(e => console.warn(e)), 50);
      break;
    case "activeSpeakers":
      serverSpeakersAt = Date.now();
      highlight(new Set((m.speakers || m.identities || []).map(s => typeof s === "string" ? s : s.identity)));
      break;
    case "reconnectRequested":
      if (m.identity !== self) break;
      if (local && local.resource && local.resource.includes(m.sessionId)) republish(m.reason);
      else if (screen && screen.resource && screen.resource.includes(m.sessionId)) reshare(demo.screenPc);
      else for (const peer of peers.values()) if (peer.resource && peer.resource.includes(m.sessionId)) { peer.key = null; resync(peer); }
      break;
    case "roomClosed":
      stop().then(() => setState("the room was closed"));
      break;
  }
}

async function join(r, t, mode) {
  await stop();
  const gen = generation;
  room = r; token = t; self = identityOf(t); watching = mode !== "publish";
  setState("joining");
  $("controls").hidden = false;
  try {
    if (mode !== "subscribe") await publish();
    // Sending only: the room is read for the participant list and the socket, never to watch anyone.
    await refresh().catch(e => { if (watching) throw e; console.info(`room: ${e.message}`); });
    if (gen !== generation) return;
    timers.push(setInterval(() => refresh().catch(e => console.warn(`refresh: ${e.message}`)), 3000));
    timers.push(setInterval(() => sampleStats().catch(e => console.warn(`stats: ${e.message}`)), SAMPLE_MS));
    if (!socket) openSocket();
    setState("joined");
  } catch (e) {
    fail(mode === "subscribe" ? "watch" : "publish", e);
    setState("error");
  }
}

// Ends every session (DELETE on its Location), closes the socket and the peer connections, stops the devices.
async function stop() {
  generation++;
  timers.forEach(clearInterval);
  timers = [];
  if (socket instanceof WebSocket) socket.close(1000, "left");
  socket = null;
  const sessions = demo.sessions.splice(0);
  await Promise.all(sessions.map(url => api(url, { method: "DELETE" })
    .then(r => { if (!r.ok && r.status !== 404) return problem(r).then(p => fail("leave", p)); })
    .catch(e => fail("leave", e))));
  for (const pc of [demo.publishPc, demo.screenPc, ...demo.subscribePcs]) pc && pc.close();
  for (const s of [local && local.stream, screen && screen.stream]) s && s.getTracks().forEach(t => t.stop());
  Object.assign(demo, { publishPc: null, screenPc: null, subscribePcs: [] });
  local = null; screen = null; peers = new Map(); people = new Set();
  $("grid").replaceChildren();
  $("people").replaceChildren();
  $("controls").hidden = true;
  setState("idle");
}

// Without a token, ask the gateway for a development one (embedded profile only); otherwise the embedding
// application gives it: /#room=R&token=T (a fragment never reaches the server), or rtcDemo.join(room, token).
async function joinFromForm(f) {
  let t = f.token.value.trim();
  if (!t) {
    const response = await fetch("/dev/token", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ room: f.room.value, name: f.name.value }) });
    if (!response.ok) {
      $("token-field").hidden = false;
      fail("token", await problem(response));
      return;
    }
    t = (await response.json()).token;
  }
  await join(f.room.value, t, f.mode.value);
}

$("join").addEventListener("submit", e => { e.preventDefault(); joinFromForm(e.target.elements); });
$("leave").addEventListener("click", () => stop());
$("mic").addEventListener("click", () => toggleMicrophone());
$("camera").addEventListener("click", () => toggleCamera());
$("screen").addEventListener("click", () => toggleScreen().catch(e => fail("share screen", e)));

// #room=..&token=..&mode=both|publish|subscribe[&simulcast=1] joins at once; #room=..&name=.. fills the form (and joins with a
// development token when one is offered).
const q = new URLSearchParams(location.hash.slice(1));
const form = $("join").elements;
form.room.value = q.get("room") || "";
form.name.value = q.get("name") || "";
form.token.value = q.get("token") || "";
form.mode.value = q.get("mode") || "both";
demo.simulcast = q.get("simulcast") === "1";
if (q.get("room") && (q.get("token") || q.get("name"))) joinFromForm(form);
