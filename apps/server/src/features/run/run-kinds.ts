/** Every kind of run the queue knows, declared once; the worker's executor handles each. */
export const RUN_KINDS = {
  /** Build a study; params: StudyRunParams. */
  study: "study",
  /** Compute the feature data of an existing study; params: FeatureDataRunParams. */
  featureData: "feature-data",
  /** Train the offline demo model, then queue the demo study; params: {}. */
  demoModel: "demo-model",
  /** Run a stimulus design on a study; params: StimulusRunParams. */
  stimulus: "stimulus",
  /** Explain and score features with Claude; params: ExplainRequest. */
  explain: "explain",
} as const;

export type RunKind = (typeof RUN_KINDS)[keyof typeof RUN_KINDS];

export interface FeatureDataRunParams {
  studyId: string;
}
