/** The interaction study: the NFM and every control trained on the SAE's error, and the separate joint mode. */
export {
  type InteractionStudyOptions,
  type InteractionStudyResult,
  type ResidualSaeOptions,
  runInteractionStudy,
} from "./controls.js";
export {
  JOINT_STUDY_LABEL,
  type JointArmReport,
  type JointComparison,
  type JointEvaluation,
  type JointStudyArm,
  type JointStudyOptions,
  type JointStudyReport,
  type JointStudyResult,
  runJointStudy,
} from "./joint-study.js";
