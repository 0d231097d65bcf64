export declare const dashboardPackage: string;
export declare const dashboardDist: string;
export declare function staleReason(): string | undefined;
export declare function ensureDashboardBuilt(options?: { force?: boolean; log?: (line: string) => void }): Promise<boolean>;
