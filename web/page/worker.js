// The simulator, off the page's thread: hopsim.wasm runs the scenarios and
// draws each instant as a list of shapes and texts; the page only paints.
// Messages: {id, cmd, ...args} in, {id, result} or {id, error} out, and
// {kind: "progress"} while a run is going.
importScripts("hopsim.js");

let session = null;
const ready = createHopsim().then((M) => {
  session = new M.Session();
  self.FS = M.FS;
});

const commands = {
  load: (a) => JSON.parse(session.load(a.name1, a.text1, a.name2 || "", a.text2 || "")),
  run: () => JSON.parse(session.run()),
  // One animation step: move the clock (when playing), then draw.
  tick: (a) => {
    let t = a.view.t;
    if (a.playing) t = Math.min(session.advance(t, a.step), a.end);
    a.view.t = t;
    const frame = JSON.parse(session.frame(a.width, a.height, JSON.stringify(a.view)));
    frame.t = t;
    return frame;
  },
  at: (a) => JSON.parse(session.at(a.x, a.y, a.width, a.height, JSON.stringify(a.view))),
  next: (a) => session.nextEvent(a.t),
  prev: (a) => session.prevEvent(a.t),
  eventTime: (a) => session.eventTime(a.pane, a.event),
  stepList: (a) => session.stepList(a.pane, a.event, a.t, a.dir, a.filter || "", a.search || ""),
  fieldCount: (a) => session.fieldCount(a.pane, a.event),
  hasPacket: (a) => session.hasPacket(a.pane, a.event),
  tables: (a) => JSON.parse(session.tables(a.pane)),
  expectations: (a) => JSON.parse(session.expectations(a.pane)),
  quiz: () => JSON.parse(session.quiz()),
  bench: (a) => JSON.parse(session.bench(a.text)),
  file: (a) => self.FS.readFile(a.path),
  textFile: (a) => self.FS.readFile(a.path, {encoding: "utf8"}),
};

onmessage = async (e) => {
  const {id, cmd} = e.data;
  try {
    await ready;
    postMessage({id, result: commands[cmd](e.data)});
  } catch (err) {
    postMessage({id, error: String(err && err.message ? err.message : err)});
  }
};
