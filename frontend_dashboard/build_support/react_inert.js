// React and ReactDOM, as the design-token build sees them: inert stand-ins. @saleor/macaw-ui publishes its tokens
// (getCSSVariables) only from its React entry point; to read them at build time, without installing React, that
// entry point runs once in Node with every React call answered by this stand-in (nothing is rendered). A React
// name macaw-ui starts to import that is missing here fails the build ("No matching export").
const handler = {
  get: (target, key) => (key === Symbol.toPrimitive ? () => "" : key === "then" ? undefined : inert),
  apply: () => inert,
  construct: () => inert,
};
const inert = new Proxy(function inert() {}, handler);

export default inert;
// react
export const Children = inert;
export const Component = inert;
export const Fragment = inert;
export const cloneElement = inert;
export const createContext = inert;
export const createElement = inert;
export const forwardRef = inert;
export const isValidElement = inert;
export const useCallback = inert;
export const useContext = inert;
export const useEffect = inert;
export const useImperativeHandle = inert;
export const useLayoutEffect = inert;
export const useMemo = inert;
export const useReducer = inert;
export const useRef = inert;
export const useState = inert;
// react-dom
export const createPortal = inert;
export const flushSync = inert;
