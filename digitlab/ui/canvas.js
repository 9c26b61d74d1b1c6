// The Draw tab's canvas (gr.HTML's js_on_load: element, props, watch come from Gradio).
// Draws with a round black brush by mouse, pen or finger (pointer events), and sets the
// component's value, a PNG data URL of the ink ("" when empty), once per pen-up: that one
// change is the only request a stroke makes. A stroke may start in the grey margin; a tap
// draws a dot. Undo takes back the last stroke, Clear all of them. "Give me a digit" asks the
// server (server.give_digit) for a real held-out pen digit's strokes and draws them with the
// same brush, in place of the drawing: the verdict follows as if a hand had drawn it.
const SIZE = 280;
const RADIUS = 12; // like the Sketchpad's gr.Brush(default_size=12) on its 280x280 canvas
const pad = element.querySelector(".dl-pad");
const canvas = element.querySelector("canvas");
const ink = canvas.getContext("2d");
let strokes = []; // each a list of [x, y] in canvas pixels; a base picture may come first
let base = null; // a drawing the canvas was given (the value it had when it was built)
let pen = null; // the pointer drawing now, and its stroke
let given = 0; // digits given so far: the next press asks for the next one

const at = (event) => {
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * SIZE / box.width,
    (event.clientY - box.top) * SIZE / box.height];
};
const dot = ([x, y]) => {
  ink.beginPath();
  ink.arc(x, y, RADIUS, 0, 2 * Math.PI);
  ink.fill();
};
const line = ([x0, y0], [x1, y1]) => {
  ink.beginPath();
  ink.moveTo(x0, y0);
  ink.lineTo(x1, y1);
  ink.stroke();
};
const redraw = () => {
  ink.clearRect(0, 0, SIZE, SIZE);
  if (base) ink.drawImage(base, 0, 0, SIZE, SIZE);
  for (const points of strokes) {
    dot(points[0]);
    points.slice(1).forEach((point, i) => line(points[i], point));
  }
};
const send = () => {
  // The same drawing twice is no change (Gradio compares the value): no request.
  props.value = strokes.length || base ? canvas.toDataURL("image/png") : "";
};

ink.fillStyle = ink.strokeStyle = "#000";
ink.lineWidth = 2 * RADIUS;
ink.lineCap = ink.lineJoin = "round";

pad.addEventListener("pointerdown", (event) => {
  if (pen || event.button > 0) return; // one pen at a time; the left button draws
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  pen = { id: event.pointerId, points: [at(event)] };
  strokes.push(pen.points);
  dot(pen.points[0]);
});
pad.addEventListener("pointermove", (event) => {
  if (!pen || event.pointerId !== pen.id) return;
  const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
  for (const move of moves.length ? moves : [event]) {
    const point = at(move);
    line(pen.points[pen.points.length - 1], point);
    pen.points.push(point);
  }
});
const lift = (event) => {
  if (!pen || event.pointerId !== pen.id) return;
  pen = null;
  send();
};
pad.addEventListener("pointerup", lift);
pad.addEventListener("pointercancel", lift);
element.querySelector(".dl-undo").addEventListener("click", () => {
  if (strokes.length) strokes.pop();
  else base = null;
  redraw();
  send();
});
element.querySelector(".dl-give").addEventListener("click", async () => {
  const digit = await server.give_digit(given++);
  if (pen || !Array.isArray(digit)) return; // a hand started drawing meanwhile: it wins
  strokes = digit;
  base = null;
  redraw();
  send();
});
element.querySelector(".dl-clear").addEventListener("click", () => {
  strokes = [];
  base = null;
  redraw();
  send();
});
if (typeof props.value === "string" && props.value.startsWith("data:image/")) {
  base = new Image(); // built again with a drawing on it: show that drawing
  base.onload = redraw;
  base.src = props.value;
}
element.dataset.ready = "true";
