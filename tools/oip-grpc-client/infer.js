// Calls GRPCInferenceService.ModelInfer the way any Open Inference Protocol client would: the
// protocol's .proto loaded at run time, raw little-endian FP32 input, raw outputs decoded here.
// Usage: node infer.js HOST:PORT MODEL PIXELS.f32 COUNT PROTO → prints {"id","version","scores","labels","radii"} as JSON.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, model, pixelsFile, count, protoFile] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoFile, { keepCase: true, longs: String, defaults: true });
const inference = grpc.loadPackageDefinition(definition).inference;
const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure());

const request = {
  model_name: model,
  id: 'node-1',
  inputs: [{ name: 'input', datatype: 'FP32', shape: [Number(count), 784] }],
  raw_input_contents: [fs.readFileSync(pixelsFile)],
};
client.ModelInfer(request, (error, response) => {
  if (error) {
    console.error(`${error.code} ${error.details}`);
    process.exit(1);
  }
  const raw = name => {
    const index = response.outputs.findIndex(o => o.name === name);
    const b = response.raw_output_contents[index];
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  };
  const read = (view, size, get) => Array.from({ length: view.byteLength / size }, (_, i) => get(view, i * size));
  console.log(JSON.stringify({
    id: response.id,
    version: response.model_version,
    scores: read(raw('scores'), 4, (v, o) => v.getFloat32(o, true)),
    labels: read(raw('label'), 8, (v, o) => Number(v.getBigInt64(o, true))),
    radii: read(raw('certified_radius'), 8, (v, o) => v.getFloat64(o, true)),
  }));
  client.close();
});
