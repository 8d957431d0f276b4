/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Feature($studyId: ID!, $index: Int!, $examples: Int, $partners: Int, $partnersAfter: String) {\n  study(id: $studyId) {\n    id\n    name\n  }\n  feature(studyId: $studyId, index: $index) {\n    id\n    studyId\n    index\n    density\n    maxActivation\n    examples(first: $examples) {\n      tokens\n      values\n      maxValue\n    }\n    interactionPartners(first: $partners, after: $partnersAfter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          strength\n          coActivations\n          partner {\n            id\n            index\n            density\n            maxActivation\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.FeatureDocument,
    "query Runs($first: Int) {\n  runs(first: $first) {\n    id\n    kind\n    status\n    progress\n    message\n    error\n    studyId\n    createdAt\n    updatedAt\n  }\n}\n\nmutation RequestStudyRun($input: StudyRunInput!) {\n  requestStudyRun(input: $input) {\n    id\n    status\n    progress\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    id\n    status\n  }\n}": typeof types.RunsDocument,
    "query Studies {\n  studies {\n    id\n    name\n    model\n    hook\n    createdAt\n    metrics {\n      tokens\n      dSae\n      saeExplainedVariance\n      nfmErrorReduction\n    }\n  }\n}": typeof types.StudiesDocument,
    "query StudyFeatures($id: ID!, $first: Int, $after: String, $orderBy: FeatureOrder) {\n  study(id: $id) {\n    id\n    features(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          index\n          density\n          maxActivation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.StudyFeaturesDocument,
    "query Study($id: ID!, $bins: Int, $interactions: Int) {\n  study(id: $id) {\n    id\n    name\n    model\n    hook\n    createdAt\n    report\n    metrics {\n      tokens\n      dIn\n      dSae\n      saeExplainedVariance\n      saeL0\n      saeMse\n      deadFraction\n      nfmErrorReduction\n      nfmErrorReductionCi95\n      nfmK\n    }\n    densityHistogram(bins: $bins) {\n      lo\n      hi\n      count\n    }\n    topInteractions(first: $interactions) {\n      id\n      strength\n      coActivations\n      a {\n        id\n        index\n        density\n      }\n      b {\n        id\n        index\n        density\n      }\n    }\n  }\n}": typeof types.StudyDocument,
};
const documents: Documents = {
    "query Feature($studyId: ID!, $index: Int!, $examples: Int, $partners: Int, $partnersAfter: String) {\n  study(id: $studyId) {\n    id\n    name\n  }\n  feature(studyId: $studyId, index: $index) {\n    id\n    studyId\n    index\n    density\n    maxActivation\n    examples(first: $examples) {\n      tokens\n      values\n      maxValue\n    }\n    interactionPartners(first: $partners, after: $partnersAfter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          strength\n          coActivations\n          partner {\n            id\n            index\n            density\n            maxActivation\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.FeatureDocument,
    "query Runs($first: Int) {\n  runs(first: $first) {\n    id\n    kind\n    status\n    progress\n    message\n    error\n    studyId\n    createdAt\n    updatedAt\n  }\n}\n\nmutation RequestStudyRun($input: StudyRunInput!) {\n  requestStudyRun(input: $input) {\n    id\n    status\n    progress\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    id\n    status\n  }\n}": types.RunsDocument,
    "query Studies {\n  studies {\n    id\n    name\n    model\n    hook\n    createdAt\n    metrics {\n      tokens\n      dSae\n      saeExplainedVariance\n      nfmErrorReduction\n    }\n  }\n}": types.StudiesDocument,
    "query StudyFeatures($id: ID!, $first: Int, $after: String, $orderBy: FeatureOrder) {\n  study(id: $id) {\n    id\n    features(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          index\n          density\n          maxActivation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.StudyFeaturesDocument,
    "query Study($id: ID!, $bins: Int, $interactions: Int) {\n  study(id: $id) {\n    id\n    name\n    model\n    hook\n    createdAt\n    report\n    metrics {\n      tokens\n      dIn\n      dSae\n      saeExplainedVariance\n      saeL0\n      saeMse\n      deadFraction\n      nfmErrorReduction\n      nfmErrorReductionCi95\n      nfmK\n    }\n    densityHistogram(bins: $bins) {\n      lo\n      hi\n      count\n    }\n    topInteractions(first: $interactions) {\n      id\n      strength\n      coActivations\n      a {\n        id\n        index\n        density\n      }\n      b {\n        id\n        index\n        density\n      }\n    }\n  }\n}": types.StudyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Feature($studyId: ID!, $index: Int!, $examples: Int, $partners: Int, $partnersAfter: String) {\n  study(id: $studyId) {\n    id\n    name\n  }\n  feature(studyId: $studyId, index: $index) {\n    id\n    studyId\n    index\n    density\n    maxActivation\n    examples(first: $examples) {\n      tokens\n      values\n      maxValue\n    }\n    interactionPartners(first: $partners, after: $partnersAfter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          strength\n          coActivations\n          partner {\n            id\n            index\n            density\n            maxActivation\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query Feature($studyId: ID!, $index: Int!, $examples: Int, $partners: Int, $partnersAfter: String) {\n  study(id: $studyId) {\n    id\n    name\n  }\n  feature(studyId: $studyId, index: $index) {\n    id\n    studyId\n    index\n    density\n    maxActivation\n    examples(first: $examples) {\n      tokens\n      values\n      maxValue\n    }\n    interactionPartners(first: $partners, after: $partnersAfter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          strength\n          coActivations\n          partner {\n            id\n            index\n            density\n            maxActivation\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Runs($first: Int) {\n  runs(first: $first) {\n    id\n    kind\n    status\n    progress\n    message\n    error\n    studyId\n    createdAt\n    updatedAt\n  }\n}\n\nmutation RequestStudyRun($input: StudyRunInput!) {\n  requestStudyRun(input: $input) {\n    id\n    status\n    progress\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    id\n    status\n  }\n}"): (typeof documents)["query Runs($first: Int) {\n  runs(first: $first) {\n    id\n    kind\n    status\n    progress\n    message\n    error\n    studyId\n    createdAt\n    updatedAt\n  }\n}\n\nmutation RequestStudyRun($input: StudyRunInput!) {\n  requestStudyRun(input: $input) {\n    id\n    status\n    progress\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    id\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Studies {\n  studies {\n    id\n    name\n    model\n    hook\n    createdAt\n    metrics {\n      tokens\n      dSae\n      saeExplainedVariance\n      nfmErrorReduction\n    }\n  }\n}"): (typeof documents)["query Studies {\n  studies {\n    id\n    name\n    model\n    hook\n    createdAt\n    metrics {\n      tokens\n      dSae\n      saeExplainedVariance\n      nfmErrorReduction\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyFeatures($id: ID!, $first: Int, $after: String, $orderBy: FeatureOrder) {\n  study(id: $id) {\n    id\n    features(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          index\n          density\n          maxActivation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query StudyFeatures($id: ID!, $first: Int, $after: String, $orderBy: FeatureOrder) {\n  study(id: $id) {\n    id\n    features(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          index\n          density\n          maxActivation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Study($id: ID!, $bins: Int, $interactions: Int) {\n  study(id: $id) {\n    id\n    name\n    model\n    hook\n    createdAt\n    report\n    metrics {\n      tokens\n      dIn\n      dSae\n      saeExplainedVariance\n      saeL0\n      saeMse\n      deadFraction\n      nfmErrorReduction\n      nfmErrorReductionCi95\n      nfmK\n    }\n    densityHistogram(bins: $bins) {\n      lo\n      hi\n      count\n    }\n    topInteractions(first: $interactions) {\n      id\n      strength\n      coActivations\n      a {\n        id\n        index\n        density\n      }\n      b {\n        id\n        index\n        density\n      }\n    }\n  }\n}"): (typeof documents)["query Study($id: ID!, $bins: Int, $interactions: Int) {\n  study(id: $id) {\n    id\n    name\n    model\n    hook\n    createdAt\n    report\n    metrics {\n      tokens\n      dIn\n      dSae\n      saeExplainedVariance\n      saeL0\n      saeMse\n      deadFraction\n      nfmErrorReduction\n      nfmErrorReductionCi95\n      nfmK\n    }\n    densityHistogram(bins: $bins) {\n      lo\n      hi\n      count\n    }\n    topInteractions(first: $interactions) {\n      id\n      strength\n      coActivations\n      a {\n        id\n        index\n        density\n      }\n      b {\n        id\n        index\n        density\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;