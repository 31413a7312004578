console.log('mnist: not implemented yet');
