// The drawing pad: white ink on black like MNIST, drawn with any pointer (mouse, finger, pen).
// The service centres and scales what it gets exactly as MNIST was prepared, so the pad sends
// its whole picture as a PNG and lets /predict do that; a model trained on an uploaded dataset gets
// the picture shrunk to its image size instead.
export class DrawingPad {
  constructor(canvas, { onStroke }) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
    this.onStroke = onStroke;
    this.drawing = false;
    this.empty = true;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.start(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.end(e));
    canvas.addEventListener('pointercancel', (e) => this.end(e));
  }

  clear() {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.empty = true;
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * this.canvas.width,
      y: ((event.clientY - box.top) / box.height) * this.canvas.height,
    };
  }

  // A pen's pressure thickens its line a little; mouse and touch report 0.5.
  width(event) {
    const pressure = event.pointerType === 'pen' && event.pressure > 0 ? event.pressure : 0.5;
    return (this.canvas.width / 28) * (1.6 + 1.6 * pressure);
  }

  start(event) {
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.drawing = true;
    this.last = this.point(event);
    this.stroke(this.last, this.last, this.width(event));
  }

  move(event) {
    if (!this.drawing) return;
    event.preventDefault();
    // Coalesced events keep fast strokes smooth on touch screens and pens.
    const events = event.getCoalescedEvents?.() ?? [event];
    for (const e of events.length ? events : [event]) {
      const p = this.point(e);
      this.stroke(this.last, p, this.width(e));
      this.last = p;
    }
  }

  end(event) {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.onStroke?.();
  }

  stroke(from, to, width) {
    const c = this.context;
    c.strokeStyle = '#fff';
    c.lineWidth = width;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    this.empty = false;
  }

  /**
   * The picture as a PNG blob; shrunk to width×height when given (a model trained on an uploaded
   * dataset takes images of exactly its size, which the service does not resize).
   */
  toBlob(width, height) {
    let canvas = this.canvas;
    if (width && height && (width !== canvas.width || height !== canvas.height)) {
      canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      context.imageSmoothingEnabled = true;
      context.imageSmoothingQuality = 'high';
      context.drawImage(this.canvas, 0, 0, width, height);
    }
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  }
}
