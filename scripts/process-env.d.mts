export declare const CONTROLLER_ENV: Readonly<Record<string, string>>;
export declare function controllerEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare const CONTROLLER_NODE_FLAGS: readonly string[];
