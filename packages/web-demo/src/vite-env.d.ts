/// <reference types="vite/client" />

/** Byte size of each MNIST file the site ships, by file name (build/mnistData.ts). */
declare module 'virtual:mnist-data-sizes' {
  const sizes: Readonly<Record<string, number>>;
  export default sizes;
}
