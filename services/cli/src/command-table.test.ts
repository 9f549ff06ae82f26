import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, commandOf, registerCommands } from "./command-table.ts";

describe("the command table", () => {
  it("lists each command with the description its own module gives it", async () => {
    for (const [name, { description, load }] of Object.entries(COMMANDS)) {
      const program = new Command("babelwire");
      (await load())(program);
      const registered = program.commands.find((command) => command.name() === name);
      expect(registered, name).toBeDefined();
      expect(registered?.description(), name).toBe(description);
    }
  });

  it("finds the command being run, also after help", () => {
    expect(commandOf(["translate", "--from", "en"])).toBe("translate");
    expect(commandOf(["help", "sources"])).toBe("sources");
    expect(commandOf(["--help"])).toBeUndefined();
    expect(commandOf(["translat"])).toBeUndefined();
  });

  it("registers the running command in full and the others by name", async () => {
    const program = new Command("babelwire");
    await registerCommands(program, ["translate", "--from", "en", "--to", "es"]);
    const translate = program.commands.find((command) => command.name() === "translate");
    expect(translate?.options.map((option) => option.long)).toEqual(
      expect.arrayContaining(["--from", "--to", "--format"]),
    );
    const sources = program.commands.find((command) => command.name() === "sources");
    expect(sources?.commands).toEqual([]);
    expect(program.commands.map((command) => command.name()).sort()).toEqual(Object.keys(COMMANDS).sort());
  });
});
