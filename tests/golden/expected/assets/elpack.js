// elpack learner runtime (placeholder until the runtime lands)
