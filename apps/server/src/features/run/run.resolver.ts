import "reflect-metadata";
import { Arg, Args, Ctx, Extensions, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { ROLE_EXTENSION } from "../access/access.js";
import { RunsArgs, StudyRunInput } from "./run.args.js";
import { Run } from "./run.type.js";

@Resolver(() => Run)
export class RunResolver {
  @Query(() => [Run], { description: "Requested and finished runs, newest first." })
  runs(@Args(() => RunsArgs) args: RunsArgs, @Ctx() ctx: Context): Promise<Run[]> {
    return ctx.runs.list(args.first);
  }

  @Query(() => Run, { nullable: true })
  run(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Run | null> {
    return ctx.runs.find(id);
  }

  @Mutation(() => Run, { description: "Queue a study run; a worker picks it up. Needs a token of role analyst." })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  requestStudyRun(@Arg("input", () => StudyRunInput) input: StudyRunInput, @Ctx() ctx: Context): Promise<Run> {
    return ctx.runs.requestStudyRun(input);
  }

  @Mutation(() => Run, {
    description: "Queue the computation of an existing study's feature data. Needs a token of role analyst.",
  })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  requestFeatureDataRun(@Arg("studyId", () => ID) studyId: string, @Ctx() ctx: Context): Promise<Run> {
    return ctx.runs.requestFeatureDataRun(studyId);
  }

  @Mutation(() => Run, {
    description: "Queue a failed or cancelled run again; a study run resumes from its folder. Needs role analyst.",
  })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  retryRun(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Run> {
    return ctx.runs.retry(id);
  }

  @Subscription(() => Run, {
    description:
      "The run now, then after each change of its progress, stage or status, until it finishes (graphql-ws on /graphql).",
    subscribe: ({ args, context }) => (context as Context).runs.watch(String(args.id)),
  })
  runProgress(@Root() run: Run, @Arg("id", () => ID) _id: string): Run {
    return run;
  }

  @Subscription(() => [Run], {
    description:
      "The newest `first` runs now, then again after any of them changes or a run is requested (graphql-ws on /graphql); until the client leaves.",
    subscribe: ({ args, context }) => (context as Context).runs.watchList(Number(args.first)),
  })
  runsChanged(@Root() runs: Run[], @Args(() => RunsArgs) _args: RunsArgs): Run[] {
    return runs;
  }

  @Mutation(() => Run, { description: "Ask a queued or running run to stop. Needs a token of role analyst." })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  cancelRun(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Run> {
    return ctx.runs.cancel(id);
  }
}
