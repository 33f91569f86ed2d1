// React, as the page's bundle sees it: absent. @saleor/app-sdk/app-bridge also exports React helpers (a provider,
// hooks) that the page never uses; the bundler keeps only the one call they make when the module loads
// (createContext). Anything else of React called in the page throws, so a use would show at once.
const absent = () => {
  throw new Error("React is not part of this page");
};
export default absent;
export const createContext = (defaultValue) => ({ defaultValue });
export const createElement = absent;
export const useCallback = absent;
export const useContext = absent;
export const useEffect = absent;
export const useMemo = absent;
export const useState = absent;
