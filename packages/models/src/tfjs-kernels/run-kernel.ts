import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The backend whose training gaps this folder fills. */
export const WASM = 'wasm';

/**
 * Runs another kernel of the wasm backend by name. Looked up at call time, not at registration, so our kernels can
 * be registered before the wasm backend has been imported or initialised.
 */
export function runWasmKernel(
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: object,
  backend: KernelBackend,
): TensorInfo {
  const config = getKernel(name, WASM);
  if (config === undefined) {
    throw new Error(
      `@mnist/models: the '${WASM}' backend has no '${name}' kernel, which our wasm training kernels are built from. ` +
        'Import @tensorflow/tfjs-backend-wasm (4.22.x) before training a CNN on wasm.',
    );
  }
  const out = config.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend });
  if (Array.isArray(out))
    throw new Error(`@mnist/models: the '${WASM}' ${name} kernel returned several tensors.`);
  return out;
}

/**
 * Collects the intermediate tensors a composite kernel creates so that all of them are released, also when a
 * step throws. Reshape outputs share their input's data (with a reference count), so they are released the same way.
 */
export class Temporaries {
  private readonly infos: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackend) {}
  /** Remembers `info` for disposal and returns it. */
  keep(info: TensorInfo): TensorInfo {
    this.infos.push(info);
    return info;
  }
  /** Releases every remembered tensor. */
  dispose(): void {
    for (const info of this.infos) this.backend.disposeData(info.dataId);
    this.infos.length = 0;
  }
}
