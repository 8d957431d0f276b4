export { concatFloat32, concatInt32 } from "./concat.js";
export { type CsvTable, parseCsv } from "./csv.js";
export { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, float32ToHalfBits, halfToFloat32 } from "./float16.js";
export {
  type FloatStorage,
  type HostTensor,
  readSafetensors,
  SAFETENSORS_DTYPES,
  type SafetensorsContents,
  type SafetensorsDtype,
  SafetensorsError,
  SafetensorsFile,
  type TensorEntry,
  type TensorToWrite,
  type WriteSafetensorsOptions,
  writeSafetensors,
} from "./safetensors.js";
