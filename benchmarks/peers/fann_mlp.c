/*
 * FANN (Fast Artificial Neural Network Library, Debian's libfann-dev 2.2.0, float build) on the networks of
 * benchmarks/Backprop.Benchmarks, for issue #13's peer columns.
 *
 * Setup (Debian 12):  apt-get install -y libfann-dev
 * Build (the benchmark program does this itself, into its results folder):
 *     gcc -O2 -std=c11 -Wall -Wextra -o fann_mlp benchmarks/peers/fann_mlp.c -lfloatfann -lm
 * Run:
 *     fann_mlp [--json PATH] [--repeats N] [--check-only] NETWORK.bin ...
 * Each NETWORK.bin is written by the benchmark program (PeerData.cs says the format): the generated network's
 * parameters, the benchmark's rows and targets, and what FANN must compute on them. The harness builds the
 * network with fann_create_standard_array, sets every weight with fann_set_weight_array, checks fann_run on all
 * 256 rows (and, where FANN's training rule is the same as ours, fann_train and a batch epoch) against the
 * file, then times, on one thread, the median over the repeats (7 by default) of the mean time per call over
 * enough calls to last about 0.2 s, after a warm-up:
 *     Forward          fann_run on one row
 *     ForwardBatch256  fann_run on each of 256 rows (FANN has no batch call); the time is per call of 256 rows
 *     TrainStep        fann_train on one row (incremental backpropagation: run, error, backpropagate, update)
 *     TrainBatch32     fann_train_epoch over 32 rows with FANN_TRAIN_BATCH (gradients summed, one update of
 *                      learning_rate / 32 times their sum)
 * --check-only checks and times nothing. It prints a Markdown table; --json PATH also writes
 *     {"fann": "2.2.0", "threads": 1, "repeats": 7, "results": [{"network": "4-8-3", "operation": "Forward", "ns": 95.2}, ...]}
 * Exit status: 0, 1 for a usage or file error, 2 when a check fails.
 *
 * The networks in FANN's terms (the mapping is exact unless said otherwise):
 *   sigmoid  FANN_SIGMOID, steepness 0.5: FANN computes 1/(1 + e^(-2·s·x)), so this is 1/(1 + e^-x). Its
 *            derivative in training is 2·s·y(1 - y) = y(1 - y), with y clipped to [0.01, 0.99] (FANN's own clip).
 *   tanh     FANN_SIGMOID_SYMMETRIC, steepness 1: 2/(1 + e^(-2·s·x)) - 1 = tanh(x); derivative s(1 - y²), y
 *            clipped to [-0.98, 0.98].
 *   ReLU     FANN 2.2 has no ReLU (FANN_LINEAR_PIECE_RECT came in 2.3). FANN_LINEAR_PIECE computes
 *            clamp(s·x, 0, 1); with steepness s = 2^-10 it is 2^-10·max(0, x) for x < 1024, and the next layer's
 *            weights (not its biases) are multiplied by 2^10, which is exact in binary floating point: the layer
 *            after computes exactly what it does after a ReLU. The forward check proves no x reached 1024. Its
 *            derivative in fann_train is s everywhere (FANN 2.2 does not zero it where x < 0), so TrainStep and
 *            TrainBatch on ReLU networks run FANN's rule, not ReLU's gradient: the same work, other numbers.
 *   softmax  FANN has no softmax: the output layer is FANN_LINEAR (steepness 1), so FANN computes the logits
 *            z = W·a + b, which the check compares with the logits of the generated network's weights (whose
 *            softmax is the generated network's output). Trained with squared error on those linear outputs.
 *   loss     FANN_ERRORFUNC_LINEAR (not the default FANN_ERRORFUNC_TANH), so fann_train's output error is
 *            (t - y)·g'(y): the gradient of ½Σ(t - y)². Our sum-squared error Σ(t - y)² has twice that gradient,
 *            so FANN is given twice our learning rate (2e-4 when timed, 2 × 0.05 in the checks) and then makes the
 *            same update. Momentum 0 (FANN's default).
 */
#define _POSIX_C_SOURCE 199309L
#include <floatfann.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LAYERS 16
#define RELU_STEEPNESS (1.0f / 1024.0f)
#define RELU_SCALE 1024.0f

enum { IDENTITY = 0, SIGMOID = 1, TANH = 2, RELU = 3, SOFTMAX = 4 };

typedef struct {
    char name[128];
    int layers;
    int sizes[MAX_LAYERS + 1];
    int activations[MAX_LAYERS];
    int loss;
    int forward_rows, batch_rows;
    float learning_rate, check_rate;
    int parameter_count;
    float *parameters, *inputs, *targets, *outputs;
    float step_loss, *step_parameters, batch_loss, *batch_parameters;
    float *fann_outputs;
    int fann_trains_same;
    float *fann_step_parameters, *fann_batch_parameters;
} network_data;

static int fail(const char *path, const char *what) {
    fprintf(stderr, "fann_mlp: %s: %s\n", path, what);
    return 1;
}

static int read_ints(FILE *file, int *values, size_t count) { return fread(values, sizeof(int), count, file) == count; }

static float *read_floats(FILE *file, size_t count) {
    float *values = malloc((count ? count : 1) * sizeof(float));
    if (values && fread(values, sizeof(float), count, file) != count) {
        free(values);
        return NULL;
    }
    return values;
}

/* Reads PeerData.cs's format (little-endian, which is this machine's order: x86-64 and arm64 Linux). */
static int load(const char *path, network_data *d) {
    FILE *file = fopen(path, "rb");
    char magic[8];
    int i;
    if (!file) return fail(path, "cannot be opened");
    memset(d, 0, sizeof *d);
    if (fread(magic, 1, 8, file) != 8 || memcmp(magic, "BPPEER01", 8) != 0) return fail(path, "not a BPPEER01 file");
    if (!read_ints(file, &d->layers, 1) || d->layers < 1 || d->layers > MAX_LAYERS) return fail(path, "bad layer count");
    if (!read_ints(file, d->sizes, d->layers + 1) || !read_ints(file, d->activations, d->layers) ||
        !read_ints(file, &d->loss, 1) || !read_ints(file, &d->forward_rows, 1) || !read_ints(file, &d->batch_rows, 1) ||
        fread(&d->learning_rate, sizeof(float), 1, file) != 1 || fread(&d->check_rate, sizeof(float), 1, file) != 1)
        return fail(path, "truncated header");
    d->parameter_count = 0;
    d->name[0] = 0;
    for (i = 0; i <= d->layers; i++) {
        char part[16];
        snprintf(part, sizeof part, i == 0 ? "%d" : "-%d", d->sizes[i]);
        strncat(d->name, part, sizeof d->name - strlen(d->name) - 1);
        if (i > 0) d->parameter_count += d->sizes[i] * (d->sizes[i - 1] + 1);
    }
    size_t in = (size_t)d->sizes[0], out = (size_t)d->sizes[d->layers], p = (size_t)d->parameter_count;
    if (!(d->parameters = read_floats(file, p)) || !(d->inputs = read_floats(file, d->forward_rows * in)) ||
        !(d->targets = read_floats(file, d->batch_rows * out)) || !(d->outputs = read_floats(file, d->forward_rows * out)) ||
        fread(&d->step_loss, sizeof(float), 1, file) != 1 || !(d->step_parameters = read_floats(file, p)) ||
        fread(&d->batch_loss, sizeof(float), 1, file) != 1 || !(d->batch_parameters = read_floats(file, p)) ||
        !(d->fann_outputs = read_floats(file, d->forward_rows * out)) || !read_ints(file, &d->fann_trains_same, 1))
        return fail(path, "truncated");
    if (d->fann_trains_same &&
        (!(d->fann_step_parameters = read_floats(file, p)) || !(d->fann_batch_parameters = read_floats(file, p))))
        return fail(path, "truncated FANN expectations");
    fclose(file);
    return 0;
}

/* Offset of layer l's weights (l from 0) in the generated layout: per layer W (neurons × inputs), then b. */
static int weight_offset(const network_data *d, int l) {
    int offset = 0, k;
    for (k = 0; k < l; k++) offset += d->sizes[k + 1] * (d->sizes[k] + 1);
    return offset;
}

/* How much FANN's weights from layer l's neurons (l = 0 is the input) are scaled: 2^10 after a ReLU layer. */
static float input_scale(const network_data *d, int l) {
    return l > 0 && d->activations[l - 1] == RELU ? RELU_SCALE : 1.0f;
}

/*
 * Walks FANN's connections (fann_get_connection_array: every non-bias neuron of layer k + 1 has one connection
 * from each neuron of layer k and one from layer k's bias neuron, the last neuron of each layer; neurons are
 * numbered across the layers, bias neurons included). For each, finds the generated layout's parameter: W[j, i]
 * or b[j]. Copies parameters into FANN (to_fann) or FANN's weights back into parameters.
 */
static int exchange_weights(struct fann *ann, const network_data *d, float *parameters, int to_fann) {
    unsigned int total = fann_get_total_connections(ann), c;
    struct fann_connection *connections = malloc(total * sizeof *connections);
    int first[MAX_LAYERS + 2], l;
    if (!connections) return 1;
    fann_get_connection_array(ann, connections);
    first[0] = 0;
    for (l = 0; l <= d->layers; l++) first[l + 1] = first[l] + d->sizes[l] + 1;
    for (c = 0; c < total; c++) {
        int to = (int)connections[c].to_neuron, from = (int)connections[c].from_neuron;
        for (l = 1; l <= d->layers && !(to >= first[l] && to < first[l] + d->sizes[l]); l++) {}
        if (l > d->layers || from < first[l - 1] || from > first[l - 1] + d->sizes[l - 1]) {
            fprintf(stderr, "fann_mlp: %s: connection %d -> %d is not between consecutive layers\n", d->name, from, to);
            free(connections);
            return 1;
        }
        int j = to - first[l], i = from - first[l - 1], inputs = d->sizes[l - 1];
        int bias = i == inputs;
        int index = weight_offset(d, l - 1) + (bias ? d->sizes[l] * inputs + j : j * inputs + i);
        float scale = bias ? 1.0f : input_scale(d, l - 1);
        if (to_fann)
            connections[c].weight = parameters[index] * scale;
        else
            parameters[index] = connections[c].weight / scale;
    }
    if (to_fann) fann_set_weight_array(ann, connections, total);
    free(connections);
    return 0;
}

static struct fann *create(const network_data *d) {
    unsigned int sizes[MAX_LAYERS + 1];
    int l;
    for (l = 0; l <= d->layers; l++) sizes[l] = (unsigned int)d->sizes[l];
    struct fann *ann = fann_create_standard_array((unsigned int)d->layers + 1, sizes);
    if (!ann) return NULL;
    for (l = 1; l <= d->layers; l++) {
        enum fann_activationfunc_enum function;
        fann_type steepness;
        switch (d->activations[l - 1]) {
        case SIGMOID: function = FANN_SIGMOID; steepness = 0.5f; break;
        case TANH: function = FANN_SIGMOID_SYMMETRIC; steepness = 1.0f; break;
        case RELU: function = FANN_LINEAR_PIECE; steepness = RELU_STEEPNESS; break;
        default: function = FANN_LINEAR; steepness = 1.0f; break; /* identity, and softmax's logits */
        }
        fann_set_activation_function_layer(ann, function, l);
        fann_set_activation_steepness_layer(ann, steepness, l);
    }
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_momentum(ann, 0.0f);
    fann_set_training_algorithm(ann, FANN_TRAIN_BATCH); /* for fann_train_epoch; fann_train is incremental regardless */
    return ann;
}

/* Relative 1e-4 (absolute below 1), as the .NET side's checks. */
static int compare(const char *network, const char *what, const float *expected, const float *actual, int count) {
    int i;
    for (i = 0; i < count; i++) {
        float tolerance = 1e-4f * fmaxf(1.0f, fabsf(expected[i]));
        if (!(fabsf(expected[i] - actual[i]) <= tolerance)) {
            fprintf(stderr, "fann_mlp: %s %s: [%d] is %.9g, expected %.9g\n", network, what, i, actual[i], expected[i]);
            return 1;
        }
    }
    return 0;
}

static struct fann_train_data *training_rows(const network_data *d) {
    int in = d->sizes[0], out = d->sizes[d->layers], r;
    struct fann_train_data *data = fann_create_train((unsigned int)d->batch_rows, (unsigned int)in, (unsigned int)out);
    if (!data) return NULL;
    for (r = 0; r < d->batch_rows; r++) {
        memcpy(data->input[r], d->inputs + (size_t)r * in, in * sizeof(float));
        memcpy(data->output[r], d->targets + (size_t)r * out, out * sizeof(float));
    }
    return data;
}

static int check(struct fann *ann, const network_data *d, struct fann_train_data *rows) {
    int in = d->sizes[0], out = d->sizes[d->layers], r, failed = 0;
    float *actual = malloc((size_t)d->forward_rows * out * sizeof(float));
    float *parameters = malloc((size_t)d->parameter_count * sizeof(float));
    for (r = 0; r < d->forward_rows; r++)
        memcpy(actual + (size_t)r * out, fann_run(ann, d->inputs + (size_t)r * in), out * sizeof(float));
    failed |= compare(d->name, d->activations[d->layers - 1] == SOFTMAX ? "fann_run (logits)" : "fann_run",
                      d->fann_outputs, actual, d->forward_rows * out);
    if (!failed && d->fann_trains_same) {
        fann_set_learning_rate(ann, 2 * d->check_rate);
        fann_train(ann, d->inputs, d->targets);
        exchange_weights(ann, d, parameters, 0);
        failed |= compare(d->name, "weights after fann_train", d->fann_step_parameters, parameters, d->parameter_count);
        exchange_weights(ann, d, d->parameters, 1);
        fann_train_epoch(ann, rows);
        exchange_weights(ann, d, parameters, 0);
        failed |= compare(d->name, "weights after fann_train_epoch (batch)", d->fann_batch_parameters, parameters,
                          d->parameter_count);
        exchange_weights(ann, d, d->parameters, 1);
    }
    free(actual);
    free(parameters);
    return failed;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    struct fann *ann;
    const network_data *d;
    struct fann_train_data *rows;
} context;

static void forward(const context *c) { fann_run(c->ann, c->d->inputs); }

static void forward_batch(const context *c) {
    int in = c->d->sizes[0], r;
    for (r = 0; r < c->d->forward_rows; r++) fann_run(c->ann, c->d->inputs + (size_t)r * in);
}

static void train_step(const context *c) { fann_train(c->ann, c->d->inputs, c->d->targets); }

static void train_batch(const context *c) { fann_train_epoch(c->ann, c->rows); }

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Seconds per call: the median over the repeats, as pytorch_mlp.py measures. */
static double time_per_call(void (*action)(const context *), const context *c, int repeats) {
    long calls = 1, i;
    int k;
    double samples[1024];
    for (i = 0; i < 200; i++) action(c);
    for (;;) {
        double start = now();
        for (i = 0; i < calls; i++) action(c);
        if (now() - start > 0.2) break;
        calls *= 2;
    }
    for (k = 0; k < repeats; k++) {
        double start = now();
        for (i = 0; i < calls; i++) action(c);
        samples[k] = (now() - start) / (double)calls;
    }
    qsort(samples, (size_t)repeats, sizeof(double), by_value);
    return repeats % 2 ? samples[repeats / 2] : (samples[repeats / 2 - 1] + samples[repeats / 2]) / 2;
}

int main(int argc, char **argv) {
    const char *json = NULL;
    int repeats = 7, check_only = 0, files = 0, i, status = 0, first_result = 1;
    FILE *out = NULL;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--check-only")) check_only = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: fann_mlp [--json PATH] [--repeats N] [--check-only] NETWORK.bin ...\n");
            return 1;
        } else files++;
    }
    if (files == 0 || repeats < 1 || repeats > 1024) {
        fprintf(stderr, "usage: fann_mlp [--json PATH] [--repeats N (1-1024)] [--check-only] NETWORK.bin ...\n");
        return 1;
    }
    if (json && !check_only) {
        out = fopen(json, "w");
        if (!out) return fail(json, "cannot be written");
        fprintf(out, "{\n  \"fann\": \"2.2\",\n  \"threads\": 1,\n  \"repeats\": %d,\n  \"results\": [", repeats);
    }
    if (!check_only) printf("FANN 2.2 (libfloatfann), 1 thread, median of %d repeat(s)\n\n| Network | Operation | FANN |\n|---|---|--:|\n", repeats);
    for (i = 1; i < argc; i++) {
        network_data d;
        if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--repeats")) { i++; continue; }
        if (argv[i][0] == '-') continue;
        if (load(argv[i], &d)) return 1;
        struct fann *ann = create(&d);
        struct fann_train_data *rows = training_rows(&d);
        if (!ann || !rows || exchange_weights(ann, &d, d.parameters, 1)) return fail(argv[i], "FANN could not build the network");
        if (check(ann, &d, rows)) {
            status = 2;
            continue;
        }
        if (check_only) {
            printf("%s: FANN's fann_run%s agrees with the generated network%s.\n", d.name,
                   d.activations[d.layers - 1] == SOFTMAX ? " (linear output layer: the logits)" : "",
                   d.fann_trains_same ? "; fann_train and a batch epoch agree with the textbook loop on FANN's network"
                                      : "; training not checked (FANN's rule differs on ReLU layers)");
            continue;
        }
        fann_set_learning_rate(ann, 2 * d.learning_rate);
        context c = {ann, &d, rows};
        struct { const char *operation; void (*action)(const context *); } operations[] = {
            {"Forward", forward}, {"ForwardBatch256", forward_batch}, {"TrainStep", train_step}, {"TrainBatch32", train_batch}};
        for (int k = 0; k < 4; k++) {
            if (k == 1 && d.forward_rows != 256) continue;
            if (k == 3 && d.batch_rows != 32) continue;
            double ns = time_per_call(operations[k].action, &c, repeats) * 1e9;
            printf("| %s | %s | %.1f ns |\n", d.name, operations[k].operation, ns);
            fflush(stdout);
            if (out) {
                fprintf(out, "%s\n    {\"network\": \"%s\", \"operation\": \"%s\", \"ns\": %.1f}", first_result ? "" : ",",
                        d.name, operations[k].operation, ns);
                first_result = 0;
            }
        }
        fann_destroy_train(rows);
        fann_destroy(ann);
    }
    if (out) {
        fprintf(out, "\n  ]\n}\n");
        fclose(out);
        if (status == 0) printf("\nWritten to %s\n", json);
    }
    return status;
}
