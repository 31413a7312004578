import { classificationReport, ConfusionMatrixAccumulator, confusionMatrix, sparkline } from '@mnist/metrics';

// True digits and a model's predictions for 30 test images.
const yTrue = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4, 9, 6, 6, 5, 4, 0, 7, 4, 3, 8];
const yPred = [7, 2, 1, 0, 4, 1, 4, 9, 6, 9, 0, 6, 9, 0, 1, 5, 9, 7, 5, 4, 9, 6, 6, 5, 9, 0, 7, 4, 3, 8];

const matrix = confusionMatrix(yTrue, yPred, { numClasses: 10 });
console.log(classificationReport(matrix));
console.log(`accuracy: ${matrix.accuracy.toFixed(4)}`);
for (const { trueClass, predictedClass, count } of matrix.mostConfused(3)) {
  console.log(`${trueClass} mistaken for ${predictedClass}: ${count}×`);
}

// The same matrix, built batch by batch as predictions arrive.
const accumulator = new ConfusionMatrixAccumulator(10);
for (let start = 0; start < yTrue.length; start += 8) {
  accumulator.add(yTrue.slice(start, start + 8), yPred.slice(start, start + 8));
}
console.log(`streamed accuracy: ${accumulator.result().accuracy.toFixed(4)}`);

// A training curve in one line of text.
console.log(`loss per epoch: ${sparkline([0.52, 0.31, 0.24, 0.2, 0.18])}`);
