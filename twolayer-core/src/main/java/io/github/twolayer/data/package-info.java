/**
 * Samples and files: where rows come from and where models go.
 *
 * <p>Start at {@link io.github.twolayer.data.RowSource}, anything that can be read in blocks of rows any
 * number of times (every algorithm makes passes over one), and {@link io.github.twolayer.data.DataFiles},
 * which opens a user's file as one: {@code .npy} pairs and {@code .npz} ({@link
 * io.github.twolayer.data.NumpySource}, memory-mapped where the layout allows), CSV ({@link
 * io.github.twolayer.data.CsvSource}, parsed in parallel, bit for bit {@code Double.parseDouble}), or
 * samples in memory ({@link io.github.twolayer.data.Dataset}). {@link io.github.twolayer.data.ModelFile}
 * reads and writes models as JSON, {@code .npz} or ONNX ({@code .onnx}); {@link
 * io.github.twolayer.data.Outputs} writes a run's outputs through temporary files renamed together at the
 * end, so a failure never leaves half a file nor changes an existing one, and never writes over an input,
 * a device or a pipe; {@link io.github.twolayer.data.Finite} is the one check for NaN and
 * infinities that readers and algorithms share.
 */
package io.github.twolayer.data;
