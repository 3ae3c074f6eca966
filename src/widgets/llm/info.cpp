// The LLM-serving widget's schema: a Poisson stream of requests served by vLLM's V1
// scheduler (continuous batching, chunked prefill, a paged KV cache with prefix caching,
// preemption by recompute) or by a static-batching baseline, on a stated per-step cost
// model. Model: src/sim/llm. CLI: `scalebook sim llm`.
#include "widgets/catalog.h"
#include "widgets/llm/scenario.h"

namespace scalebook::widgets {

WidgetInfo llm_info() {
  return {
      .name = "llm",
      .title = "Serving an LLM, as vLLM schedules it",
      .aria_label = "An LLM server at work. Top left, the latest engine step as one bar per request, split into "
                    "prompt (prefill) tokens and generated (decode) tokens; top right, the KV cache as a grid of "
                    "blocks coloured by the request that owns them, free, or free but still holding a cached "
                    "prefix. Below, charts of output tokens per second, requests running and waiting, and the "
                    "time to first token.",
      .description = "Requests arrive at random and an engine serves them the way vLLM's V1 scheduler does: every "
                     "step mixes the running requests' next tokens with chunks of new prompts under a token "
                     "budget, and the KV cache is handed out block by block. Send a burst or a very long prompt "
                     "mid-run, shrink the cache until requests are preempted, share a system prompt to see the "
                     "prefix cache skip the work, or switch to static batching to see what continuous batching "
                     "fixed. Step times come from a stated cost model (Llama-3-8B on one A100, napkin numbers), "
                     "not from a GPU.",
      .params = {
          {.name = "mode", .type = ParamType::Choice, .default_value = "continuous", .min = 0, .max = 0,
           .choices = {"continuous", "static"},
           .help = "continuous: vLLM's scheduler, requests join and leave the batch every step. static: the "
                   "baseline, a batch is formed when the engine is idle, padded to its longest prompt, and runs "
                   "until its longest output is done.",
           .label = "Batching"},
          {.name = "rate", .type = ParamType::Float, .default_value = "4", .min = 0.1, .max = 30, .choices = {},
           .help = "Requests per second (a Poisson stream).", .label = "Arrivals (req/s)"},
          {.name = "lengths", .type = ParamType::Choice, .default_value = "uniform", .min = 0, .max = 0,
           .choices = {"uniform", "exponential", "fixed"},
           .help = "How prompt and output lengths are drawn between their min and max: uniformly, exponentially "
                   "with the midpoint as the mean (clamped), or every request at the max.",
           .label = "Lengths"},
          {.name = "prompt_min", .type = ParamType::Int, .default_value = "128", .min = 1, .max = 8192, .choices = {},
           .help = "Shortest prompt (tokens, before any shared prefix).", .label = "Prompt min"},
          {.name = "prompt_max", .type = ParamType::Int, .default_value = "1024", .min = 1, .max = 8192, .choices = {},
           .help = "Longest prompt (tokens, before any shared prefix).", .label = "Prompt max"},
          {.name = "output_min", .type = ParamType::Int, .default_value = "32", .min = 1, .max = 4096, .choices = {},
           .help = "Fewest output tokens a request asks for (max_tokens; every request runs to it).",
           .label = "Output min"},
          {.name = "output_max", .type = ParamType::Int, .default_value = "512", .min = 1, .max = 4096, .choices = {},
           .help = "Most output tokens a request asks for.", .label = "Output max"},
          {.name = "shared_prefix", .type = ParamType::Int, .default_value = "0", .min = 0, .max = 4096, .choices = {},
           .help = "A system prompt of this many tokens that every request starts with (0: none); with prefix "
                   "caching its KV blocks are computed once and shared.",
           .label = "Shared prefix"},
          {.name = "max_num_seqs", .type = ParamType::Int, .default_value = "64", .min = 1, .max = 256, .choices = {},
           .help = "vLLM --max-num-seqs: most requests running at once (static: the largest batch).",
           .label = "Max running"},
          {.name = "max_num_batched_tokens", .type = ParamType::Int, .default_value = "2048", .min = 16, .max = 16384,
           .choices = {}, .help = "vLLM --max-num-batched-tokens: the token budget of one step (decodes first, "
                                  "then prompt chunks).",
           .label = "Token budget"},
          {.name = "kv_blocks", .type = ParamType::Int, .default_value = "1024", .min = 16, .max = 8192, .choices = {},
           .help = "KV cache size in blocks (vLLM num_gpu_blocks; block 0 is the null block).", .label = "KV blocks"},
          {.name = "block_size", .type = ParamType::Choice, .default_value = "16", .min = 0, .max = 0,
           .choices = {"8", "16", "32"}, .help = "vLLM --block-size: tokens per KV block.", .label = "Block size"},
          {.name = "max_model_len", .type = ParamType::Int, .default_value = "4096", .min = 64, .max = 16384,
           .choices = {}, .help = "vLLM --max-model-len: the longest sequence, prompt plus output.",
           .label = "Max model len"},
          {.name = "chunked_prefill", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0,
           .choices = {}, .help = "vLLM --enable-chunked-prefill: a prompt longer than the budget left is split "
                                  "over several steps (else it waits for a step with room for all of it).",
           .label = "Chunked prefill"},
          {.name = "prefix_caching", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0,
           .choices = {}, .help = "vLLM --enable-prefix-caching (on by default in V1): full KV blocks are "
                                  "hashed and reused by any request with the same prefix.",
           .label = "Prefix caching"},
          {.name = "duration", .type = ParamType::Float, .default_value = "60", .min = 5, .max = 300, .choices = {},
           .help = "Seconds of simulated time the run lasts.", .label = "Duration (s)"},
      },
      .presets = {
          {.id = "static-batching", .label = "Static batching",
           .story = "The same requests in static batches: a batch waits for its longest output, short requests "
                    "are held until then, and new arrivals queue for the next batch, so time to first token "
                    "climbs while the continuous scheduler would have let them in at the next step.",
           .params = {{"mode", "static"}}},
          {.id = "no-chunking", .label = "No chunked prefill",
           .story = "Long prompts without chunked prefill: vLLM then needs a token budget that holds a whole "
                    "prompt, and a step that carries a 3,000-token prompt takes about 0.3 s, during which every "
                    "running request waits for its next token. Watch the inter-token latency jump.",
           .params = {{"chunked_prefill", "false"}, {"max_num_batched_tokens", "4096"}, {"prompt_max", "3500"},
                      {"lengths", "exponential"}, {"rate", "2"}}},
          {.id = "chunked", .label = "Chunked, small budget",
           .story = "The same long prompts with chunked prefill and a 512-token budget: a long prompt is spread "
                    "over several short steps, so decodes keep their pace while it is read.",
           .params = {{"max_num_batched_tokens", "512"}, {"prompt_max", "3500"}, {"lengths", "exponential"},
                      {"rate", "2"}}},
          {.id = "prefix-cache", .label = "Shared system prompt",
           .story = "Every request starts with the same 1,024-token system prompt: its 64 blocks are computed "
                    "once and then shared (the accent blocks of the grid), so each new request prefills only "
                    "its own part. Switch prefix caching off to see every request pay for it again, in time "
                    "and in KV blocks.",
           .params = {{"shared_prefix", "1024"}}},
          {.id = "kv-pressure", .label = "KV cache pressure",
           .story = "The default load with a third of the cache (300 blocks): running requests grow until a "
                    "block cannot be had, and the scheduler preempts the request admitted last, frees its "
                    "blocks and later computes it again from the start (prefix cache permitting).",
           .params = {{"kv_blocks", "300"}}},
      },
      .actions = {
          {.name = "burst", .label = "Burst",
           .help = "Many requests arrive at once, with lengths drawn like the others'.",
           .args = {{.name = "n", .type = ParamType::Int, .default_value = "20", .min = 1, .max = 200, .choices = {},
                     .help = "How many requests.", .label = "Requests"}}},
          {.name = "long-prompt", .label = "Long prompt",
           .help = "One request with a very long prompt arrives (no shared prefix).",
           .args = {{.name = "tokens", .type = ParamType::Int, .default_value = "3000", .min = 1, .max = 16383,
                     .choices = {}, .help = "Prompt tokens (less than max_model_len).", .label = "Tokens"},
                    {.name = "output", .type = ParamType::Int, .default_value = "64", .min = 1, .max = 4096,
                     .choices = {}, .help = "Output tokens it asks for.", .label = "Output"}}},
          {.name = "reset-prefix-cache", .label = "Reset prefix cache",
           .help = "vLLM's reset_prefix_cache(reset_running_requests=True): every running request is preempted "
                   "and the cache forgets every prefix, so all of it is computed again.",
           .args = {}},
      },
      .check = llm::check_params,
      .make_scenario = make_llm_scenario,
  };
}

}  // namespace scalebook::widgets
